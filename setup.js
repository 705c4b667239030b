// Adds cdktf's matchers (toHaveResource, toHaveResourceWithProperties, ...) to jest's expect. The deep
// path loads 15 modules instead of cdktf's ~380, which every suite would otherwise pay for at start.
require('cdktf/lib/testing/adapters/jest').setupJest();
