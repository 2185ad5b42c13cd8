"""The JSON API under /api/v1/ (issue 24): per-user tokens, resources that act exactly as the token's
user (the same scope, grants, sensitive-data rules and services as the pages), OpenAPI description."""
