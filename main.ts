import { App } from 'cdktf';
import { ConfigurationError } from './lib/config';
import { loadConfig } from './lib/load-config';
import { MODULE_STACK_NAME, PaymentWorkflowModuleStack } from './lib/payment-workflow-module';
import { PaymentWorkflowStack, STACK_NAME } from './lib/payment-workflow-stack';

const app = new App();
try {
  const config = loadConfig((key) => app.node.tryGetContext(key));
  new PaymentWorkflowStack(app, STACK_NAME, { config });
  // The same workflow as a reusable Terraform module (its variables are its settings), only when asked:
  // with one stack, `cdktf deploy` and the other commands need no stack name. `npm run module` builds it.
  if (config.synthesizeModule) new PaymentWorkflowModuleStack(app, MODULE_STACK_NAME);
} catch (error) {
  // A bad setting is the user's to fix: print its message, not a stack trace.
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(`${error.name}: ${error.message}`);
  process.exit(1);
}
app.synth();
