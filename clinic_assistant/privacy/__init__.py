"""What happens to patients' details: erasure of a call-back form without consent, log redaction."""
