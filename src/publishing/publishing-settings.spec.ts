import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateEnvironment } from '../config/environment';

describe('publishing settings', () => {
  it('are off by default', () => {
    const environment = validateEnvironment({});
    expect(environment.CMDB_PUBLISH_MQTT_URL).toBeUndefined();
    expect(environment.CMDB_PUBLISH_NATS_URL).toBeUndefined();
    expect(environment.CMDB_PUBLISH_TOPIC_PREFIX).toBe('cmdb');
  });

  it('refuse a wrong URL or prefix at start-up, naming the variable and never showing a URL (it may hold a password)', () => {
    expect(() => validateEnvironment({ CMDB_PUBLISH_MQTT_URL: 'http://user:hunter2@broker', CMDB_PUBLISH_TOPIC_PREFIX: 'a/b' })).toThrow(
      /CMDB_PUBLISH_MQTT_URL=\(hidden\): CMDB_PUBLISH_MQTT_URL must be[\s\S]*CMDB_PUBLISH_TOPIC_PREFIX="a\/b"/,
    );
    expect(() => validateEnvironment({ CMDB_PUBLISH_NATS_URL: 'nats:/x:hunter2' })).not.toThrow(/hunter2/);
  });

  it('refuse a CA file that cannot be read or holds no certificate, naming the variable', () => {
    const folder = mkdtempSync(join(tmpdir(), 'cmdb-ca-'));
    try {
      const ca = join(folder, 'ca.pem');
      writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      expect(validateEnvironment({ CMDB_PUBLISH_MQTT_URL: 'mqtts://broker:8883', CMDB_PUBLISH_MQTT_CA_FILE: ca }).CMDB_PUBLISH_MQTT_CA_FILE).toBe(ca);
      const notPem = join(folder, 'notes.txt');
      writeFileSync(notPem, 'not a certificate');
      for (const path of [join(folder, 'missing.pem'), notPem]) {
        expect(() => validateEnvironment({ CMDB_PUBLISH_MQTT_CA_FILE: path })).toThrow(/CMDB_PUBLISH_MQTT_CA_FILE=.*must name a readable file of PEM certificates/);
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("take the MQTT broker's packet limit as a whole number of bytes, refusing one no MQTT packet could carry", () => {
    expect(validateEnvironment({ CMDB_PUBLISH_MQTT_MAX_PACKET_BYTES: '4096' }).CMDB_PUBLISH_MQTT_MAX_PACKET_BYTES).toBe(4_096);
    expect(validateEnvironment({ CMDB_PUBLISH_MQTT_MAX_PACKET_BYTES: '' }).CMDB_PUBLISH_MQTT_MAX_PACKET_BYTES).toBeUndefined();
    for (const value of ['100', '4k', '300000000']) {
      expect(() => validateEnvironment({ CMDB_PUBLISH_MQTT_MAX_PACKET_BYTES: value })).toThrow(/CMDB_PUBLISH_MQTT_MAX_PACKET_BYTES/);
    }
  });
});
