"""Complaints and aspirations (pengaduan/aspirasi): reports from citizens to resolution."""
