import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  applyStandIns,
  type MirrorProviders,
  providersInMirror,
  type StackJson,
  StandInNoLongerNeeded,
  StandInNotEnough,
  standInsFor,
  withStandIns,
} from '../support/terraform-stand-ins';

/** The machine image's mirror: hashicorp/aws 5.100.0 and no archive provider. */
const OLD_MIRROR: MirrorProviders = { aws: ['5.100.0'], archive: [] };
/** A mirror with the providers the project pins. */
const CURRENT_MIRROR: MirrorProviders = { aws: ['6.25.0'], archive: ['2.7.1'] };

/** A configuration of one function zipped from a bundle folder, reading the three data sources. */
function configuration(dir: string, runtime = 'nodejs24.x'): StackJson {
  fs.mkdirSync(path.join(dir, 'assets', 'bundle'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'assets', 'bundle', 'index.js'), 'exports.handler = async () => ({});\n');
  return {
    terraform: {
      required_providers: {
        aws: { source: 'hashicorp/aws', version: '>= 6.25.0, < 7.0.0' },
        archive: { source: 'hashicorp/archive', version: '2.7.1' },
      },
    },
    data: {
      archive_file: {
        fn: { type: 'zip', source_dir: '${path.module}/assets/bundle', output_path: '${path.module}/dist/fn.zip' },
      },
      aws_partition: { current: {} },
      aws_region: { current: {} },
      aws_caller_identity: { current: {} },
    },
    resource: {
      aws_lambda_function: {
        fn: {
          function_name: 'fn',
          runtime,
          filename: '${data.archive_file.fn.output_path}',
          source_code_hash: '${data.archive_file.fn.output_base64sha256}',
          role: 'arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/fn',
          description: '${var.x == "" ? data.aws_region.current.region : var.x}',
        },
      },
    },
  };
}

describe('Terraform: the stand-ins of the offline plans', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpw-stand-ins-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('needs every stand-in with aws 5.100.0 and no archive provider', () => {
    expect(standInsFor(OLD_MIRROR)).toEqual([
      'data-sources',
      'aws-version',
      'nodejs24-runtime',
      'archive-file',
      'backend',
    ]);
  });

  it('drops the nodejs24 runtime stand-in once the mirror holds aws 6.21.0', () => {
    expect(standInsFor({ aws: ['5.100.0', '6.21.0'], archive: [] })).not.toContain('nodejs24-runtime');
  });

  it('needs only the data sources and the backend with the pinned providers', () => {
    expect(standInsFor(CURRENT_MIRROR)).toEqual(['data-sources', 'backend']);
  });

  it('reads the versions of an unpacked mirror, oldest first', () => {
    // Prepare
    for (const version of ['5.100.0', '5.9.0'])
      fs.mkdirSync(path.join(dir, 'registry.terraform.io', 'hashicorp', 'aws', version, 'linux_amd64'), {
        recursive: true,
      });
    // Act
    const providers = providersInMirror(dir);
    // Assess
    expect(providers).toEqual({ aws: ['5.9.0', '5.100.0'], archive: [] });
  });

  it('reads the versions of a packed mirror, as terraform providers mirror writes it', () => {
    // Prepare
    const archiveDir = path.join(dir, 'registry.terraform.io', 'hashicorp', 'archive');
    fs.mkdirSync(archiveDir, { recursive: true });
    for (const file of ['index.json', '2.7.1.json', 'terraform-provider-archive_2.7.1_linux_amd64.zip'])
      fs.writeFileSync(path.join(archiveDir, file), '');
    // Act
    const providers = providersInMirror(dir);
    // Assess
    expect(providers).toEqual({ aws: [], archive: ['2.7.1'] });
  });

  it('plans nodejs22.x for nodejs24.x, the mirror version and no archive provider', () => {
    // Act
    const edited = applyStandIns(configuration(dir), { mirror: OLD_MIRROR, dir });
    // Assess
    expect(edited.resource.aws_lambda_function.fn.runtime).toBe('nodejs22.x');
    expect(edited.terraform.required_providers).toEqual({ aws: { source: 'hashicorp/aws', version: '5.100.0' } });
    expect(edited.data).toBeUndefined();
  });

  it('replaces data source references in templates and in expressions by literals', () => {
    const edited = withStandIns(configuration(dir));
    expect(edited.resource.aws_lambda_function.fn.role).toBe('arn:aws:iam::123456789012:role/fn');
    expect(edited.resource.aws_lambda_function.fn.description).toBe('${var.x == "" ? "us-east-1" : var.x}');
  });

  it('zips the bundle folder and uses its path and hash for the archive', () => {
    // Act
    const edited = applyStandIns(configuration(dir), { mirror: OLD_MIRROR, dir });
    // Assess
    const fn = edited.resource.aws_lambda_function.fn;
    expect(fn.filename).toBe('${path.module}/archive-stand-ins/fn.zip');
    expect(fs.existsSync(path.join(dir, 'archive-stand-ins', 'fn.zip'))).toBe(true);
    expect(fn.source_code_hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('fails as no longer needed when nothing runs on nodejs24.x', () => {
    const act = (): unknown => applyStandIns(configuration(dir, 'nodejs22.x'), { mirror: OLD_MIRROR, dir });
    expect(act).toThrow(StandInNoLongerNeeded);
    expect(act).toThrow(
      'Expected runtime nodejs24.x in the configuration, received none. Fix: update or remove the nodejs24-runtime stand-in.',
    );
  });

  it('fails as not enough when a data source has no literal', () => {
    // Prepare
    const config = configuration(dir);
    config.data.aws_availability_zones = { available: {} };
    // Act
    const act = (): unknown => applyStandIns(config, { mirror: OLD_MIRROR, dir });
    // Assess
    expect(act).toThrow(StandInNotEnough);
    expect(act).toThrow(
      'Expected only data sources with a literal in DATA_SOURCE_STAND_INS, received aws_availability_zones.available. Fix: add a literal for each attribute read.',
    );
  });

  it('fails as not enough when another output of archive_file is read', () => {
    // Prepare
    const config = configuration(dir);
    config.resource.aws_lambda_function.fn.description = '${data.archive_file.fn.output_md5}';
    // Act
    const act = (): unknown => applyStandIns(config, { mirror: OLD_MIRROR, dir });
    // Assess
    expect(act).toThrow(StandInNotEnough);
    expect(act).toThrow(
      'Expected only output_path and output_base64sha256 of archive_file read, received data.archive_file.fn.output_md5. Fix: stand in for output_md5 too.',
    );
  });

  it('fails as no longer needed when there is no archive_file to stand in for', () => {
    // Prepare
    const config = configuration(dir);
    delete config.data.archive_file;
    // Act
    const act = (): unknown => applyStandIns(config, { mirror: OLD_MIRROR, dir });
    // Assess
    expect(act).toThrow(StandInNoLongerNeeded);
  });
});
