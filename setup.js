// Adds cdktf's matchers (toHaveResource, toHaveResourceWithProperties, ...) to jest's expect.
const { Testing } = require("cdktf");
Testing.setupJest();
