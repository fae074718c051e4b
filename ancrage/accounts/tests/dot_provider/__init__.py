"""An OpenID Connect provider built with django-oauth-toolkit, run as its own process.

Used by test_sso_oidc_django_oauth_toolkit.py: a maintained, independent implementation
checks that our client interoperates (discovery, PKCE, nonce, RS256 id_token, JWKS).
"""
