"""Fees (retribusi) for services: bills with payment codes, provider adapters, receipts."""
