// Entry point lands with the SSH layer.
