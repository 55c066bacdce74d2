"""IAM virtual MFA devices and login protection (`OS-MFA`, `OS-USER/.../login-protect`)."""
