"""What every service shares and that knows no service: errors, storage, auth, paging, audit."""
