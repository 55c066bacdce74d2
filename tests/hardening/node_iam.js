// Calls idplane through the official Node.js IAM SDK and prints what the SDK reports for each
// call as one JSON line: {name: {status, code}}. Arguments: endpoint ak sk domainId.
const core = require("@huaweicloud/huaweicloud-sdk-core");
// The package root also loads v5, whose entry point is broken in 3.1.x; v3 is what we need.
const iam = require("@huaweicloud/huaweicloud-sdk-iam/v3/public-api");

const [endpoint, ak, sk, domainId] = process.argv.slice(2);

function client(secret) {
  const credentials = new core.GlobalCredentials()
    .withAk(ak)
    .withSk(secret)
    .withDomainId(domainId);
  return iam.IamClient.newBuilder().withCredential(credentials).withEndpoint(endpoint).build();
}

async function outcome(call) {
  try {
    await call();
    return { status: 200, code: null };
  } catch (error) {
    return { status: error.httpStatusCode ?? error.status, code: error.errorCode ?? null };
  }
}

(async () => {
  const results = {
    missingGroup: await outcome(() =>
      client(sk).keystoneShowGroup(new iam.KeystoneShowGroupRequest().withGroupId("0".repeat(32)))
    ),
    badSignature: await outcome(() =>
      client("x".repeat(40)).keystoneListGroups(new iam.KeystoneListGroupsRequest())
    ),
    listGroups: await outcome(() => client(sk).keystoneListGroups(new iam.KeystoneListGroupsRequest())),
  };
  console.log(JSON.stringify(results));
})();
