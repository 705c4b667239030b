import { diffSyntheses, exitStatusOf, judge, type Synthesis } from '../../../terrain/compare';
import { renderDifferences, renderResult, renderSummary } from '../../../terrain/report';

/** A small deployable stack as cdktf writes it: metadata, provider pins, one resource, one asset. */
function stack(): { document: Record<string, any>; assets: Record<string, string> } {
  return {
    document: {
      '//': { metadata: { backend: 'local', stackName: 'app', version: '0.21.0' } },
      terraform: { required_providers: { aws: { source: 'aws', version: '6.25.0' } } },
      resource: {
        aws_dynamodb_table: {
          orders: {
            '//': { metadata: { path: 'app/orders/table', uniqueId: 'orders' } },
            name: 'MockOrders',
            billing_mode: 'PAY_PER_REQUEST',
          },
        },
      },
    },
    assets: { 'create-order/8FB6/index.js': 'aa11' },
  };
}

/** This project's synthesis and CDK Terrain's, the latter edited by `edit`. */
function syntheses(edit: (theirs: ReturnType<typeof stack>) => void): { ours: Synthesis; theirs: Synthesis } {
  const theirs = stack();
  edit(theirs);
  return { ours: { app: stack() }, theirs: { app: theirs } };
}

describe('Comparison: CDK Terrain synthesis against this project', () => {
  it('finds no difference between equal syntheses', () => {
    // Prepare
    const { ours, theirs } = syntheses(() => undefined);
    // Act
    const judged = judge(diffSyntheses(ours, theirs));
    // Assess
    expect(judged).toEqual([]);
    expect(exitStatusOf(judged)).toBe(0);
  });

  it('ignores the cdktf version stamp and construct metadata under "//"', () => {
    // Prepare
    const { ours, theirs } = syntheses((s) => {
      s.document['//'].metadata.version = '0.24.0';
      s.document.resource.aws_dynamodb_table.orders['//'].metadata.path = 'app/orders/renamed';
    });
    // Act
    const judged = judge(diffSyntheses(ours, theirs));
    // Assess
    expect(judged.map((d) => [d.path.join('.'), d.verdict])).toEqual([
      ['//.metadata.version', 'ignored'],
      ['resource.aws_dynamodb_table.orders.//.metadata.path', 'ignored'],
    ]);
    expect(exitStatusOf(judged)).toBe(0);
  });

  it('explains a newer prebuilt provider version of the same major, naming both versions', () => {
    // Prepare
    const { ours, theirs } = syntheses((s) => {
      s.document.terraform.required_providers.aws.version = '6.66.0';
    });
    // Act
    const [difference] = judge(diffSyntheses(ours, theirs));
    // Assess
    expect(difference).toMatchObject({
      stack: 'app',
      kind: 'changed',
      ours: '6.25.0',
      theirs: '6.66.0',
      verdict: 'explained',
    });
    expect(difference.cause).toBe(
      'provider version: the CDK Terrain prebuilt aws provider is generated from aws 6.66.0, the CDKTF one from 6.25.0 (same major); ' +
        'terraform init -upgrade updates the lock file [prebuilt-provider-version]',
    );
  });

  it.each([
    ['an older provider version', '6.24.9'],
    ['a new provider major', '7.0.0'],
    ['a version range instead of a pin', '>= 6.25.0'],
  ])('leaves %s unexplained', (_case, version) => {
    // Prepare
    const { ours, theirs } = syntheses((s) => {
      s.document.terraform.required_providers.aws.version = version;
    });
    // Act
    const judged = judge(diffSyntheses(ours, theirs));
    // Assess
    expect(judged.map((d) => [d.verdict, d.cause])).toEqual([['unexplained', 'no documented rule explains it']]);
    expect(exitStatusOf(judged)).toBe(1);
  });

  it('explains the bare provider source "aws" becoming "hashicorp/aws" as the same provider', () => {
    // Prepare
    const { ours, theirs } = syntheses((s) => {
      s.document.terraform.required_providers.aws.source = 'hashicorp/aws';
    });
    // Act
    const judged = judge(diffSyntheses(ours, theirs));
    // Assess
    expect(judged.map((d) => [d.path.join('.'), d.verdict])).toEqual([
      ['terraform.required_providers.aws.source', 'explained'],
    ]);
  });

  it('leaves a provider source in another namespace unexplained', () => {
    // Prepare
    const { ours, theirs } = syntheses((s) => {
      s.document.terraform.required_providers.aws.source = 'opentofu/aws';
    });
    // Act
    const judged = judge(diffSyntheses(ours, theirs));
    // Assess
    expect(judged.map((d) => d.verdict)).toEqual(['unexplained']);
  });

  it('leaves a changed resource attribute unexplained, with its path and both values', () => {
    // Prepare
    const { ours, theirs } = syntheses((s) => {
      s.document.resource.aws_dynamodb_table.orders.billing_mode = 'PROVISIONED';
    });
    // Act
    const judged = judge(diffSyntheses(ours, theirs));
    // Assess
    expect(judged).toEqual([
      {
        stack: 'app',
        path: ['resource', 'aws_dynamodb_table', 'orders', 'billing_mode'],
        kind: 'changed',
        ours: 'PAY_PER_REQUEST',
        theirs: 'PROVISIONED',
        verdict: 'unexplained',
        cause: 'no documented rule explains it',
      },
    ]);
    expect(exitStatusOf(judged)).toBe(1);
  });

  it('reports an attribute only CDK Terrain writes as added, even one that looks harmless', () => {
    // Prepare
    const { ours, theirs } = syntheses((s) => {
      s.document.resource.aws_dynamodb_table.orders.region = null;
    });
    // Act
    const judged = judge(diffSyntheses(ours, theirs));
    // Assess
    expect(judged.map((d) => [d.path.join('.'), d.kind, d.verdict])).toEqual([
      ['resource.aws_dynamodb_table.orders.region', 'added', 'unexplained'],
    ]);
  });

  it('reports a resource only CDK Terrain synthesizes as one added difference, not one per attribute', () => {
    // Prepare
    const { ours, theirs } = syntheses((s) => {
      s.document.resource.aws_dynamodb_table.audit = { name: 'Audit', billing_mode: 'PAY_PER_REQUEST' };
    });
    // Act
    const judged = judge(diffSyntheses(ours, theirs));
    // Assess
    expect(judged.map((d) => [d.path.join('.'), d.kind, d.verdict])).toEqual([
      ['resource.aws_dynamodb_table.audit', 'added', 'unexplained'],
    ]);
  });

  it('reports a resource only this project synthesizes as one removed difference', () => {
    // Prepare
    const { ours, theirs } = syntheses((s) => {
      delete s.document.resource.aws_dynamodb_table;
    });
    // Act
    const judged = judge(diffSyntheses(ours, theirs));
    // Assess
    expect(judged.map((d) => [d.path.join('.'), d.kind, d.verdict])).toEqual([
      ['resource.aws_dynamodb_table', 'removed', 'unexplained'],
    ]);
  });

  it('compares list items in order, as Terraform reads them', () => {
    // Prepare
    const ours: Synthesis = { app: { document: { list: ['a', 'b'] }, assets: {} } };
    const theirs: Synthesis = { app: { document: { list: ['b', 'a'] }, assets: {} } };
    // Act
    const paths = diffSyntheses(ours, theirs).map((d) => d.path);
    // Assess
    expect(paths).toEqual([
      ['list', 0],
      ['list', 1],
    ]);
  });

  it('reports an asset file whose bytes differ, unexplained', () => {
    // Prepare
    const { ours, theirs } = syntheses((s) => {
      s.assets['create-order/8FB6/index.js'] = 'bb22';
    });
    // Act
    const judged = judge(diffSyntheses(ours, theirs));
    // Assess
    expect(judged.map((d) => [d.path.join('/'), d.verdict])).toEqual([
      ['assets/create-order/8FB6/index.js', 'unexplained'],
    ]);
  });

  it('reports a stack only one side synthesizes as a whole', () => {
    // Prepare
    const ours: Synthesis = { app: stack(), module: stack() };
    const theirs: Synthesis = { app: stack() };
    // Act
    const judged = judge(diffSyntheses(ours, theirs));
    // Assess
    expect(judged.map((d) => [d.stack, d.path, d.kind, d.verdict])).toEqual([['module', [], 'removed', 'unexplained']]);
  });
});

describe('Report: the printed comparison', () => {
  const { ours, theirs } = syntheses((s) => {
    s.document['//'].metadata.version = '0.24.0';
    s.document.terraform.required_providers.aws.version = '6.66.0';
    s.document.resource.aws_dynamodb_table.orders.billing_mode = 'PROVISIONED';
  });
  const judged = judge(diffSyntheses(ours, theirs));

  it('counts per stack the blocks equal, explained and unexplained, and the asset files with the same bytes', () => {
    expect(renderSummary(ours, theirs, judged).split('\n')).toEqual([
      'Stack  Blocks  Equal  Explained  Unexplained  Asset files with the same bytes',
      'app    2       0      1          1            1 of 1',
    ]);
  });

  it('prints every difference with both values, its verdict and its cause, unexplained first', () => {
    const lines = renderDifferences(judged).split('\n');
    expect(lines.map((line) => line.split(/\s{2,}/).slice(0, 5))).toEqual([
      ['Verdict', 'Stack', 'Path', 'This project (cdktf)', 'CDK Terrain (cdktn)'],
      ['unexplained', 'app', 'resource.aws_dynamodb_table.orders.billing_mode', '"PAY_PER_REQUEST"', '"PROVISIONED"'],
      ['explained', 'app', 'terraform.required_providers.aws.version', '"6.25.0"', '"6.66.0"'],
      ['ignored', 'app', '//.metadata.version', '"0.21.0"', '"0.24.0"'],
    ]);
  });

  it('closes with NOT EQUAL when a difference is unexplained', () => {
    expect(renderResult(judged)).toBe(
      'Result: NOT EQUAL: 1 unexplained difference (and 1 explained difference, 1 ignored metadata difference).',
    );
  });

  it('closes with equal when every difference is explained or ignored', () => {
    expect(renderResult(judged.filter((d) => d.verdict !== 'unexplained'))).toBe(
      'Result: equal apart from 1 explained difference, 1 ignored metadata difference.',
    );
  });
});
