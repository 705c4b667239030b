// Types of the matchers setup.js registers with Testing.setupJest() (toHaveResourceWithProperties, ...).
import 'cdktf/lib/testing/adapters/jest';
