"""DataArts LakeFormation's service authorization: tenant agreements and the service agencies."""
