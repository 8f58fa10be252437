"""Intake of county spreadsheets: read (reader) → find headers (headers) → type cells (normalize) →
validate everything into a plan (plan) → write all or nothing (apply). Plus the template and error report."""
