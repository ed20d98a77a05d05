-- The XDR API client a profile may hold for the SSE/XDR checks: only its ID lives here, the client
-- secret is a vault secret of kind 'xdr-client-secret'. NULL = no client: the manual steps stay.
ALTER TABLE profiles ADD COLUMN xdr_client_id TEXT CHECK (xdr_client_id IS NULL OR length(xdr_client_id) BETWEEN 1 AND 128);
