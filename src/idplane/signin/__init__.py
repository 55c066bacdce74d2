"""Identity Center end-user sign-in: the OIDC device authorization grant (`oidc`), the user
portal API (`portal`) and the server-rendered sign-in and portal pages (`pages`), all resting
on one sign-in session per browser (`sessions`)."""
