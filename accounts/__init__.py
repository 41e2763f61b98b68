"""Accounts (等保 2.0 8.1.4.1 身份鉴别): password policy and expiry, two factors, session limits,
security events. Reads roles from obligations.selectors.scope and writes security events through
obligations.services.audit; obligations never imports accounts."""
