import type { ChargeType } from '../../../src/providers/provider';

/**
 * The vendor-neutral truth a simulator holds. Each simulator renders it in its
 * vendor's wire shape; tests compare what the provider normalised against it.
 * `rawStatus` is already the vendor's own word (the generator draws it from the
 * vendor's vocabulary).
 */
export interface SimHost {
  id: string;
  name: string;
  hostname: string;
  region: string;
  zone: string;
  rawStatus: string;
  instanceType: string;
  cpu: number;
  memoryMib: number;
  osName: string;
  osType: 'linux' | 'windows';
  imageId: string;
  vpcId: string;
  subnetId: string;
  privateIps: string[];
  publicIps: string[];
  chargeType: ChargeType;
  createdAt: string;
  expireAt: string | null;
  tags: Record<string, string>;
  securityGroups: string[];
  /** vSphere only: the datacenter holding the VM. */
  datacenter?: string;
}

export interface SimDatabase {
  id: string;
  name: string;
  region: string;
  zone: string;
  rawStatus: string;
  engine: string;
  engineVersion: string;
  instanceClass: string;
  cpu: number;
  memoryMib: number;
  storageGb: number;
  port: number;
  privateEndpoint: string;
  publicEndpoint: string | null;
  vpcId: string;
  subnetId: string;
  chargeType: ChargeType;
  createdAt: string;
  expireAt: string | null;
  tags: Record<string, string>;
}
