"""Verifiable output documents: issued PDFs with a QR code pointing to a public check page."""
