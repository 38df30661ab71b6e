"""Citizen and public pages of the complaints module (mounted at ``pengaduan/``)."""
