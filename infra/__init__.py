"""Deployable definitions: infra/template.yaml (tables, buckets, key, role) and the function stages."""
