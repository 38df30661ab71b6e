"""State machines and working-day SLA clocks shared by complaints, applications and PPID."""
