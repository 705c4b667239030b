// Adds cdktf's matchers (toHaveResource, toHaveResourceWithProperties, ...) to jest's expect.
const { Testing } = require("cdktf");
Testing.setupJest();

// The functions run on nodejs22.x on AWS; the SDK's notice about Node 20 is noise in tests.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
