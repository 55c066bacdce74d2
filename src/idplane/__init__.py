"""idplane: a self-hostable identity control plane speaking Huawei Cloud's identity APIs."""

__version__ = "0.1.0"
