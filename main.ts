import { App } from 'cdktf';
import { ConfigurationError, loadConfig } from './lib/config';
import { PaymentWorkflowStack, STACK_NAME } from './lib/payment-workflow-stack';

const app = new App();
try {
  const config = loadConfig((key) => app.node.tryGetContext(key));
  new PaymentWorkflowStack(app, STACK_NAME, { config });
} catch (error) {
  // A bad setting is the user's to fix: print its message, not a stack trace.
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(`${error.name}: ${error.message}`);
  process.exit(1);
}
app.synth();
