import type { INestApplication } from '@nestjs/common';
import type { Browser } from 'playwright-core';
import { AliyunSimulator } from '../simulators/aliyun/aliyun-simulator';
import { deleteStream } from '../publishing/bus-clients';
import { MACHINE_NATS, publishEnvironment, uniqueBus } from '../publishing/publish-fixture';
import { generateHosts, uuidFor } from '../simulators/common/generator';
import type { SimAccount } from '../simulators/common/simulator';
import { VsphereSimulator } from '../simulators/vsphere/vsphere-simulator';
import { startTestApp, TestApp } from '../support/test-app';
import { browserMissing, choose, input, launchBrowser, openPage, screenshot, signIn } from './browser';

const missing = browserMissing();
if (missing) process.stderr.write(`\nconsole browser tests skipped: ${missing}\n`);

/**
 * The console in Chromium against the real server (in-process, listening on a
 * port, embedded database, publishing to the machine's NATS) and the Aliyun and
 * vSphere simulators. The tests run in order on
 * one inventory: a secret is created, synced, browsed. Each saves a screenshot
 * under test-results/console/.
 */
(missing ? describe.skip : describe)('the web console in a browser', () => {
  const API_KEY = 'LTAI5tConsoleTest0001';
  const API_SECRET = 'console-test-secret';
  let t: TestApp;
  let url: string;
  let simulator: AliyunSimulator;
  let account: SimAccount;
  let browser: Browser;
  let vcenter: VsphereSimulator;
  const VC_USER = 'console@vsphere.local';
  const VC_PASSWORD = 'console-vc-password';
  const vms = generateHosts('vsphere', 5, { seed: 23, regions: ['DC-East'], startIndex: 230_000 }).map((vm) => ({ ...vm, datacenter: vm.region, rawStatus: 'poweredOn' }));
  // Its own stream and topics: other runs on this broker never show up here.
  const bus = uniqueBus();
  const hosts = generateHosts('aliyun', 120, { seed: 19, regions: ['cn-hangzhou'] });
  // A zone longer than the column: the sync fails this one item, with its reason.
  const broken = { ...hosts[0], zone: `cn-hangzhou-${'x'.repeat(80)}` };

  beforeAll(async () => {
    simulator = await AliyunSimulator.start();
    account = simulator.addAccount(API_KEY, API_SECRET);
    for (const host of [broken, ...hosts.slice(1)]) account.hosts.set(host.id, host);
    vcenter = await VsphereSimulator.start();
    vcenter.addAccount(VC_USER, VC_PASSWORD);
    vcenter.load(VC_USER, vms);
    t = await startTestApp({ CMDB_SYNC_SCHEDULE: 'off', ...publishEnvironment(bus, { nats: MACHINE_NATS }) });
    await (t.app as INestApplication).listen(0, '127.0.0.1');
    url = await t.app.getUrl();
    browser = await launchBrowser();
  }, 180_000); // a server and a browser: minutes on a loaded machine, and a hook that gives up early leaves the browser behind
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await simulator?.stop();
    await vcenter?.stop();
    await deleteStream(MACHINE_NATS, bus.stream);
  });

  it('serves the console under a strict Content-Security-Policy and sends a browser from / to it', async () => {
    const root = await t.raw.get('/').set('Accept', 'text/html').expect(302);
    expect(root.headers.location).toBe('/console/');
    await t.raw.get('/').set('Accept', 'application/json').expect(404);
    const index = await t.raw.get('/console/hosts/some-deep-link').expect(200);
    expect(index.text).toContain('<div id="root">');
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['content-security-policy']).not.toContain('unsafe-inline');
    await t.raw.get('/console/assets/missing.js').expect(404);
  });

  it('signs in with a token kept in sessionStorage, never in the URL', async () => {
    const { page, problems } = await openPage(browser);
    await signIn(page, url, t.adminToken!);
    await page.getByText('CMDB_ADMIN_TOKEN (admin)').waitFor();
    expect(page.url()).not.toContain(t.adminToken!);
    expect(await page.evaluate("sessionStorage.getItem('cmdb.token')")).toBe(t.adminToken);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    // The console follows the change feed (GET /watch) and says so.
    await page.getByTestId('live-status').getByText('Live', { exact: true }).waitFor();
    await screenshot(page, '01-overview');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('creates a secret from the form', async () => {
    const { page, problems } = await openPage(browser);
    await signIn(page, url, t.adminToken!);
    await page.getByRole('link', { name: 'Secrets' }).click();
    await page.getByRole('link', { name: 'New secret' }).click();
    await input(page, 'Name').fill('console-aliyun');
    await input(page, 'Access key id').fill(API_KEY);
    await input(page, 'Access key secret').fill(API_SECRET);
    await input(page, 'Allowed regions').fill('cn-hangzhou');
    await input(page, 'Allowed regions').press('Enter');
    await input(page, 'Endpoint override').fill(simulator.address);
    await input(page, 'Sync schedule').fill('0 */6 * * *');
    await screenshot(page, '02-secret-form');
    await page.getByRole('button', { name: 'Create secret' }).click();
    await page.getByRole('link', { name: 'console-aliyun' }).waitFor();
    await page.getByText('0 */6 * * *').waitFor();
    await page.getByRole('button', { name: 'Verify console-aliyun' }).click();
    await page.getByText(/^OK \(\d+ ms\)$/).waitFor();
    await screenshot(page, '03-secrets');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('syncs a scope and shows its per-item results; a failed item shows its reason', async () => {
    const { page, problems } = await openPage(browser);
    await signIn(page, url, t.adminToken!);
    await page.getByRole('link', { name: 'Sync' }).click();
    await choose(page, 'Secret', 'console-aliyun (aliyun)');
    await choose(page, 'Region', 'cn-hangzhou');
    await page.getByRole('button', { name: 'Start sync' }).click();
    await page.getByRole('heading', { name: 'Sync job' }).waitFor();
    await page.getByTestId('job-status').getByText('partial').waitFor({ timeout: 30_000 });
    await page.getByTestId('job-items').getByText('created').first().waitFor();
    await screenshot(page, '04-sync-job');
    await page.locator('label', { hasText: /^failed$/ }).click();
    expect(await page.getByRole('radio', { name: 'failed' }).isChecked()).toBe(true);
    const failed = page.getByTestId('job-items').getByRole('row');
    await page.getByTestId('job-items').getByText('zone is longer than 64 characters').waitFor();
    expect(await failed.count()).toBe(2); // the header and the one failed item
    await screenshot(page, '05-sync-failed-item');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('browses hosts with filters and keyset paging', async () => {
    const { page, problems } = await openPage(browser);
    await signIn(page, url, t.adminToken!);
    await page.getByRole('link', { name: 'Hosts' }).click();
    const rows = page.getByTestId('resource-table').locator('tbody tr');
    await page.getByText('Page 1 · 50 shown of 119').waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2 · 50 shown of 119').waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 3 · 19 shown of 119').waitFor();
    expect(await rows.count()).toBe(19);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Page 2 · 50 shown of 119').waitFor();

    const running = hosts.slice(1).filter((host) => host.rawStatus === 'Running').length;
    await choose(page, 'Status', 'running');
    await page.getByText(new RegExp(`Page 1 · \\d+ shown of ${running}$`)).waitFor();
    expect(page.url()).toContain('status=running');
    const one = hosts.slice(1).find((host) => host.rawStatus === 'Running')!;
    await input(page, 'Search').fill(one.privateIps[0]);
    await page.getByText(/Page 1 · \d+ shown of \d+$/).waitFor();
    await page.getByRole('link', { name: one.name }).waitFor();
    await screenshot(page, '06-hosts-filtered');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("shows a resource's fields, raw payload and history as field-by-field diffs", async () => {
    const renamed = hosts[7];
    account.hosts.set(renamed.id, { ...renamed, name: `${renamed.name}-renamed` });
    const secrets = await t.http.get('/secrets').expect(200);
    await t.http.post(`/secrets/${secrets.body.items[0].id}/sync`).send({ region: 'cn-hangzhou' }).expect(200);

    const { page, problems } = await openPage(browser);
    await signIn(page, url, t.adminToken!);
    await page.goto(`${url}/console/hosts/aliyun:${renamed.id}`);
    await page.getByRole('heading', { name: `${renamed.name}-renamed` }).waitFor();
    await page.getByRole('tab', { name: 'Raw payload' }).click();
    await page.getByTestId('raw-payload').getByText(renamed.id, { exact: false }).first().waitFor();
    await page.getByRole('tab', { name: 'History' }).click();
    const history = page.getByTestId('history');
    await history.getByText('updated').waitFor();
    await history.getByRole('cell', { name: renamed.name, exact: true }).waitFor();
    await history.getByRole('cell', { name: `${renamed.name}-renamed`, exact: true }).waitFor();
    await screenshot(page, '07-resource-history');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows a viewer no sync button nor secrets', async () => {
    const viewer = await t.createToken('viewer', 'console-viewer');
    const { page, problems } = await openPage(browser);
    await signIn(page, url, viewer);
    await page.getByText('console-viewer (viewer)').waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Hosts' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Sync' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Secrets' }).count()).toBe(0);
    await page.goto(`${url}/console/sync`);
    await page.getByText('There is no such page, or your role may not see it.').waitFor();
    expect(await page.getByRole('button', { name: 'Start sync' }).count()).toBe(0);
    await screenshot(page, '08-viewer');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("shows an API error's message and request id", async () => {
    const { page, problems } = await openPage(browser);
    await signIn(page, url, t.adminToken!);
    await page.goto(`${url}/console/hosts/aliyun:i-does-not-exist`);
    const error = page.getByTestId('api-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/HTTP 404 · request id \S+/);
    await screenshot(page, '09-api-error');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("shows a change in the cloud live, through the cloud's notification (no sync runs)", async () => {
    // Delta sync on for the secret the form created; the simulator's EventBridge posts to the webhook.
    const [secret] = (await t.http.get('/secrets').expect(200)).body.items as { id: string }[];
    await t.http.patch(`/secrets/${secret.id}`).send({ delta_sync: true }).expect(200);
    const { webhook_secret } = (await t.http.post(`/secrets/${secret.id}/webhook-secret`).expect(201)).body as { webhook_secret: string };
    simulator.events.subscribe(`${url}/webhooks/cloudevents/${secret.id}`, webhook_secret);

    const watched = hosts[11];
    const { page, problems } = await openPage(browser);
    await signIn(page, url, t.adminToken!);
    await page.goto(`${url}/console/hosts/aliyun:${watched.id}`);
    await page.getByRole('heading', { name: watched.name, exact: true }).waitFor();
    await page.getByTestId('live-status').getByText('Live', { exact: true }).waitFor();

    await simulator.change(API_KEY, 'host', watched.id, { ...watched, name: `${watched.name}-live` }, 'cn-hangzhou');
    expect(simulator.events.channel.answers.at(-1)?.status).toBe(202);
    await page.getByRole('heading', { name: `${watched.name}-live`, exact: true }).waitFor();
    // The rename came by the notification, not by a sync.
    const changes = (await t.http.get('/changes?vendor=aliyun&limit=1000').expect(200)).body.items as { instance_id: string; trigger: string; changed_fields: unknown }[];
    expect(changes.filter((change) => change.instance_id === watched.id).map((change) => change.trigger)).toEqual(['sync', 'event']);
    await screenshot(page, '11-live-notification');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('fits a phone', async () => {
    const { page, problems } = await openPage(browser, { width: 390, height: 844 });
    await signIn(page, url, t.adminToken!);
    await page.getByRole('link', { name: 'Hosts' }).click();
    await page.getByText(/Page 1 · 50 shown/).waitFor();
    const overflow = () => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, '10-phone-hosts');
    // Every other page with a table or wide content: its tables scroll within the page, the page does not.
    const [job] = (await t.http.get('/sync-jobs?limit=1').expect(200)).body.items as { job_id: string }[];
    const pages: [string, string][] = [
      ['/console/', 'Overview'],
      ['/console/jobs', 'Jobs'],
      [`/console/jobs/${job.job_id}`, 'Sync job'],
      [`/console/hosts/aliyun:${hosts[7].id}`, `${hosts[7].name}-renamed`],
      ['/console/secrets', 'Secrets'],
      ['/console/audit', 'Audit log'],
    ];
    for (const [path, heading] of pages) {
      await page.goto(`${url}${path}`);
      await page.getByRole('heading', { name: heading }).first().waitFor();
      await page.locator('tbody tr').first().waitFor(); // its rows are in
      expect({ path, fits: (await overflow()) <= 0 }).toEqual({ path, fits: true });
    }
    await screenshot(page, '12-phone-audit');
    expect(problems).toEqual([]);
    await page.context().close();
  });
  it("shows each broker's publishing lag on the overview", async () => {
    const { latest_revision } = (await t.http.get('/changes?limit=1').expect(200)).body as { latest_revision: number };
    const { page, problems } = await openPage(browser);
    await signIn(page, url, t.adminToken!);
    const nats = page.getByTestId('publishing').getByRole('row').filter({ hasText: 'nats' });
    // Every change so far reached the stream: nothing behind, the latest revision acknowledged.
    await nats.getByText('up to date').waitFor();
    await nats.getByRole('cell', { name: String(latest_revision), exact: true }).waitFor();
    await screenshot(page, '13-overview-publishing');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("follows a vCenter's change feed from a secret created in the form; the list and a host follow it without a reload", async () => {
    const { page, problems } = await openPage(browser);
    await signIn(page, url, t.adminToken!);
    await page.getByRole('link', { name: 'Secrets' }).click();
    await page.getByRole('link', { name: 'New secret' }).click();
    await choose(page, 'Vendor', 'vsphere');
    await input(page, 'Name').fill('console-vcenter');
    await input(page, 'User name').fill(VC_USER);
    await input(page, 'Password').fill(VC_PASSWORD);
    await input(page, 'vCenter address (host[:port])').fill(vcenter.address);
    await page.getByRole('textbox', { name: 'CA certificate (PEM)' }).fill(vcenter.caPem);
    await page.locator('label', { hasText: "Follow vCenter's change feed" }).click();
    expect(await page.getByRole('switch', { name: "Follow vCenter's change feed" }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Create secret' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'console-vcenter' }) });
    await row.getByText('following', { exact: true }).waitFor();
    await screenshot(page, '14-secrets-following');

    // A VM powered off in vCenter: its host page turns stopped by itself.
    const vm = vms[0];
    await page.goto(`${url}/console/hosts/vsphere:${uuidFor(vm.id)}`);
    await page.getByRole('heading', { name: vm.name, exact: true }).waitFor();
    await page.getByText('running', { exact: true }).first().waitFor();
    vcenter.powerOff(VC_USER, vm.id);
    await page.getByText('stopped', { exact: true }).first().waitFor();

    // The password changed in vCenter: the list, left open, turns failed and says why.
    await page.getByRole('link', { name: 'Secrets' }).click();
    await row.getByText('following', { exact: true }).waitFor();
    vcenter.account(VC_USER).apiSecret = 'changed-in-vcenter';
    vcenter.expireSessions();
    const failed = row.getByText('failed', { exact: true });
    await failed.waitFor();
    const { watch_status } = (await t.http.get('/secrets?vendor=vsphere').expect(200)).body.items[0] as { watch_status: { error: { message: string } } };
    expect(await failed.locator('xpath=ancestor-or-self::*[@title][1]').getAttribute('title')).toBe(watch_status.error.message);
    await page.getByRole('link', { name: 'console-vcenter' }).click();
    await page.getByTestId('watch-status').getByText(/InvalidLogin/).waitFor();
    await screenshot(page, '15-secret-watch-failed');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows the webhook of a secret with delta sync and its webhook secret once, at creation and at each rotation', async () => {
    const { page, problems } = await openPage(browser);
    page.on('dialog', (dialog) => void dialog.accept()); // the rotation asks first
    await signIn(page, url, t.adminToken!);
    await page.getByRole('link', { name: 'Secrets' }).click();
    await page.getByRole('link', { name: 'New secret' }).click();
    await input(page, 'Name').fill('console-aliyun-events');
    await input(page, 'Access key id').fill(API_KEY);
    await input(page, 'Access key secret').fill(API_SECRET);
    await input(page, 'Allowed regions').fill('cn-hangzhou');
    await input(page, 'Allowed regions').press('Enter');
    await input(page, 'Endpoint override').fill(simulator.address);
    await page.locator('label', { hasText: "Delta sync (the cloud's change notifications)" }).click();
    await page.getByRole('textbox', { name: 'EventBridge signing certificates (PEM)' }).waitFor();
    await page.getByRole('button', { name: 'Create secret' }).click();

    const address = (await page.getByTestId('webhook-address').textContent())!;
    const [created] = ((await t.http.get('/secrets').expect(200)).body.items as { id: string; name: string }[]).filter((secret) => secret.name === 'console-aliyun-events');
    expect(address).toBe(`${url}/webhooks/cloudevents/${created.id}`);
    const issued = (await page.getByTestId('webhook-secret').locator('pre').textContent())!.trim();
    // What the cloud's relay needs: deliveries to that address signed with that secret are accepted.
    const deliver = (webhookSecret: string) =>
      simulator.events.channel.send(simulator.events.delivery([simulator.events.event('host', hosts[20].id, 'cn-hangzhou')], { webhookSecret, url: address }));
    expect((await deliver(issued)).status).toBe(202);
    await screenshot(page, '16-secret-created-webhook');
    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'console-aliyun-events' }) });
    await row.getByText('notifications', { exact: true }).waitFor();

    await row.getByRole('link', { name: 'console-aliyun-events' }).click();
    await page.getByTestId('webhook-address').getByText(address, { exact: true }).waitFor();
    await page.getByText('A webhook secret is set.').waitFor();
    expect(await page.getByTestId('webhook-secret').count()).toBe(0); // shown once: not again
    await page.getByRole('button', { name: 'Rotate webhook secret' }).click();
    const rotated = (await page.getByTestId('webhook-secret').locator('pre').textContent())!.trim();
    expect(rotated).not.toBe(issued);
    await page.getByText('Webhook secret (shown only now)').waitFor();
    expect((await deliver(rotated)).status).toBe(202);
    expect((await deliver(issued)).status).toBe(401);
    await screenshot(page, '17-secret-webhook-rotated');
    await page.reload();
    await page.getByTestId('webhook-address').waitFor();
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
