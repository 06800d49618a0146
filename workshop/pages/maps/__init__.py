"""The shared map: its text view, the facilitator's tidying, and the live canvas."""
