"""The project's own spaCy pipeline: lookup lemmas, spelling normalisation, domain entities."""
