"""Counties (tenants), municipalities, providers and their sites, staff accounts and access."""
