"""The REST door (`/rest/v1/`): Authorize.Net's webhook management API, JSON over HTTP Basic
authentication with the API login ID and transaction key."""
