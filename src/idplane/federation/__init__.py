"""IAM federation: OS-FEDERATION identity providers, mappings, protocols and Huawei extensions."""
