import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  explicit,
  implicit,
  objectIdentifier,
  octetString,
  sequence,
  set,
  smallInteger,
  unsignedInteger,
  utcTime,
  utf8String,
} from './der';

/**
 * A throw-away PKI for the vSphere simulator, in pure node: a CA, and a server
 * certificate for 127.0.0.1 and localhost signed by it, so a client can be
 * tested three ways (no CA: rejected, the CA: trusted, insecure: accepted).
 * P-256 keys: generated in milliseconds, unlike RSA.
 */
export interface TestPki {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

const OID = {
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

interface KeyPair {
  privateKey: KeyObject;
  spki: Buffer;
  keyId: Buffer;
}

function newKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, spki, keyId: createHash('sha1').update(spki).digest() };
}

const name = (commonName: string) =>
  sequence(
    set(sequence(objectIdentifier(OID.organization), utf8String('CMDB vSphere simulator'))),
    set(sequence(objectIdentifier(OID.commonName), utf8String(commonName))),
  );

const extension = (oid: string, critical: boolean, value: Buffer) =>
  sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value));

/** KeyUsage bits, most significant first: digitalSignature(0) ... keyCertSign(5), cRLSign(6). */
const keyUsage = (bits: number[]) => {
  let byte = 0;
  for (const bit of bits) byte |= 0x80 >> bit;
  const unused = byte === 0 ? 0 : Math.min(...bits.map((bit) => 7 - bit));
  return Buffer.from([0x03, 0x02, unused, byte]);
};

function ipBytes(address: string): Buffer {
  if (isIP(address) === 4) return Buffer.from(address.split('.').map(Number));
  throw new Error(`only IPv4 alt names are supported, got ${address}`);
}

function certificate(options: {
  subject: string;
  issuer: string;
  subjectKey: KeyPair;
  issuerKey: KeyPair;
  extensions: Buffer[];
}): string {
  const now = Date.now();
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x01; // positive, never zero-led
  const algorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
  const tbs = sequence(
    explicit(0, smallInteger(2)), // v3
    unsignedInteger(serial),
    algorithm,
    name(options.issuer),
    sequence(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 7 * 86_400_000))),
    name(options.subject),
    options.subjectKey.spki,
    explicit(3, sequence(...options.extensions)),
  );
  const signature = sign('sha256', tbs, options.issuerKey.privateKey); // DER ECDSA-Sig-Value
  const der = sequence(tbs, algorithm, bitString(signature));
  const base64 = der.toString('base64').replace(/(.{64})/g, '$1\n').trimEnd();
  return `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
}

export function createTestPki(hostNames: string[] = ['localhost'], ipAddresses: string[] = ['127.0.0.1']): TestPki {
  const caKey = newKeyPair();
  const serverKey = newKeyPair();
  const caName = 'CMDB simulator test CA';
  const caPem = certificate({
    subject: caName,
    issuer: caName,
    subjectKey: caKey,
    issuerKey: caKey,
    extensions: [
      extension(OID.basicConstraints, true, sequence(boolean(true))),
      extension(OID.keyUsage, true, keyUsage([5, 6])),
      extension(OID.subjectKeyIdentifier, false, octetString(caKey.keyId)),
    ],
  });
  const altNames = [
    ...hostNames.map((host) => implicit(2, Buffer.from(host, 'ascii'))),
    ...ipAddresses.map((ip) => implicit(7, ipBytes(ip))),
  ];
  const serverCertPem = certificate({
    subject: ipAddresses[0] ?? hostNames[0],
    issuer: caName,
    subjectKey: serverKey,
    issuerKey: caKey,
    extensions: [
      extension(OID.basicConstraints, true, sequence()),
      extension(OID.keyUsage, true, keyUsage([0])),
      extension(OID.extKeyUsage, false, sequence(objectIdentifier(OID.serverAuth))),
      extension(OID.subjectAltName, false, sequence(...altNames)),
      extension(OID.subjectKeyIdentifier, false, octetString(serverKey.keyId)),
      extension(OID.authorityKeyIdentifier, false, sequence(implicit(0, caKey.keyId))),
    ],
  });
  const serverKeyPem = serverKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { caPem, serverCertPem, serverKeyPem };
}
