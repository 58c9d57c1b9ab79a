"""The login pipeline: server-mediated OIDC against Keycloak, tokens streamed over gRPC."""
