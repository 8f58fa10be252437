"""The supervision apps: warning lights, 督办, circulars, the dashboard."""
