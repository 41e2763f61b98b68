"""monitoring's REST endpoints: progress summaries and assessment results (/api/v1/)."""
