"""IAM users: the Keystone `/v3/users` family and Huawei's `/v3.0/OS-USER/users`."""
