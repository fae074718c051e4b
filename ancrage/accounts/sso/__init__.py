"""Enterprise single sign-on per organisation: OpenID Connect (Entra ID first) and SAML 2.0.

People signing in through their organisation's identity provider are keyed by
(issuer, subject) in SsoIdentity, never by email; new people are provisioned just in time
into the organisation with the connection's default role. See docs/sso.md and ADR 0012.
"""
