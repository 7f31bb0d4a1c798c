"""The playground: an embedded, credential-free platform for trying Concord in a browser."""
