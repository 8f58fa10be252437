"""The dashboard (调度): figures of the ledger kept in a cube of counts and sums, maintained as projects change."""
