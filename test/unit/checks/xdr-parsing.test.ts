import fs from 'node:fs';
import path from 'node:path';
import { readEndpointsFile } from '../../../electron/core/checks/endpoints.js';
import { applianceNames, deviceList, matchDevice, moduleErrors, parseDevice, parseModuleInstance, parseModuleType, ShapeError } from '../../../electron/core/checks/xdr/xdr-model.js';
import { defaultResourcesDir } from '../../../electron/core/paths.js';
import { loadXdrApi, scopeCovers } from '../../../electron/core/knowledge/xdr-api.js';
import { tempDir } from '../../support/temp.js';

const api = loadXdrApi(defaultResourcesDir());

describe('resources/xdr-api.json and what the XDR checks parse', () => {
  it('covers a needed scope by the same or a wider grant, never a read grant for more', () => {
    expect(scopeCovers('integration', 'integration/health:read')).toBe(true);
    expect(scopeCovers('integration:read', 'integration/module-instance:read')).toBe(true);
    expect(scopeCovers('sse', 'sse:read')).toBe(true);
    expect(scopeCovers('enrich:read', 'enrich/observables/observe:read')).toBe(true);
    expect(scopeCovers('enrich:read', 'integration/health:read')).toBe(false);
    expect(scopeCovers('integrations', 'integration/health:read')).toBe(false);
    expect(scopeCovers('integration/health:write', 'integration/health:read')).toBe(false);
  });

  it('reads the SSE devices over every candidate envelope and field name, and says which it used', () => {
    const variants = [
      [{ device_id: 'd1', hostname: 'ESA1.corp.example', device_type: 'ESA', connection_status: 'Connected', lastSeen: 't' }],
      { devices: [{ deviceId: 'd1', device_name: 'esa1', product: 'ESA', state: 'DISCONNECTED', updated_at: 't' }] },
      { data: { items: [{ id: 'd1', name: 'cluster-fra', type: 'ESA', status: 'registered', ips: ['10.0.0.5'] }] } },
    ];
    const parsed = variants.map((v) => deviceList(v, api)!.map((d, i) => parseDevice(d, i, api))[0]!);
    expect(parsed.map((d) => [d.id, d.state])).toEqual([['d1', 'online'], ['d1', 'offline'], ['d1', 'online']]);
    expect(parsed[0]!.fields).toEqual({ id: 'device_id', name: 'hostname', type: 'device_type', status: 'connection_status', lastSeen: 'lastSeen' });
    const who = applianceNames('esa1.corp.example', 'cluster-fra', ['10.0.0.5']);
    expect(matchDevice([parsed[0]!], who)?.by).toBe('name “ESA1.corp.example” = “esa1.corp.example”');
    expect(matchDevice([parsed[1]!], who)?.by).toBe('name “esa1” = “esa1”');
    expect(matchDevice([parsed[2]!], who)?.by).toBe('name “cluster-fra” = “cluster-fra”');
    expect(matchDevice([parsed[2]!], applianceNames('10.0.0.5', null, []))?.by).toBe('address 10.0.0.5');
    expect(deviceList({ data: 'x' }, api)).toBeNull();
    expect(() => parseDevice('x', 3, api)).toThrow(ShapeError);
  });

  it('tells email modules by product category, else by a title from the data; wrong types are shape errors', () => {
    expect(parseModuleType({ id: 'a', title: 'Renamed', product_categories: [{ id: 'email-security' }] }, 0, api)).toMatchObject({ email: true, matchedBy: 'product category email-security' });
    expect(parseModuleType({ id: 'b', title: 'Other', former_title: 'Email Security Appliance' }, 0, api)).toMatchObject({ email: true, matchedBy: 'title “Email Security Appliance”' });
    expect(parseModuleType({ id: 'c', title: 'Secure Endpoint', product_categories: ['endpoint'] }, 0, api).email).toBe(false);
    expect(() => parseModuleType({ id: 7 }, 2, api)).toThrow(/module type 2: "id" is not a string/);
    expect(() => parseModuleInstance({ id: 'x', module_type_id: 'a', enabled: 'yes' }, 1)).toThrow(/"enabled" is not true or false/);
    expect(moduleErrors({ errors: 'no' })).toBeNull();
    expect(moduleErrors({ data: {}, errors: [{ code: 'c1', type: 'fatal' }] })).toEqual([{ moduleInstanceId: null, code: 'c1', type: 'fatal', message: 'c1' }]);
  });

  it('reads "xdrApi" from an endpoints file as one URL or one per region, and names a bad value', () => {
    const dir = tempDir();
    const write = (extra: object) => {
      const file = path.join(dir, `e-${Math.random()}.json`);
      fs.writeFileSync(file, JSON.stringify({ threatResponse: 'https://a.example/', ssePortal: 'https://b.example/', xdrPortal: 'https://c.example/', ...extra }));
      return file;
    };
    expect(readEndpointsFile(write({ xdrApi: 'https://iroh.lab/' })).xdrApi!.apjc.href).toBe('https://iroh.lab/');
    const per = readEndpointsFile(write({ xdrApi: { nam: 'https://n.lab/', eu: 'https://e.lab/', apjc: 'https://a.lab/' } })).xdrApi!;
    expect([per.nam.host, per.eu.host, per.apjc.host]).toEqual(['n.lab', 'e.lab', 'a.lab']);
    expect(readEndpointsFile(write({})).xdrApi).toBeNull();
    expect(() => readEndpointsFile(write({ xdrApi: 'http://plain.lab/' }))).toThrow(/xdrApi: must be an https:\/\/ URL|xdrApi/);
    expect(() => readEndpointsFile(write({ xdrApi: { nam: 'https://n.lab/' } }))).toThrow(/xdrApi/);
  });

  it('refuses an observable that is not at example.com (never a real address)', () => {
    const dir = tempDir();
    const bad = JSON.parse(fs.readFileSync(path.join(defaultResourcesDir(), 'xdr-api.json'), 'utf8')) as { observable: { value: string } };
    bad.observable.value = 'ceo@customer.com';
    fs.writeFileSync(path.join(dir, 'xdr-api.json'), JSON.stringify(bad));
    expect(() => loadXdrApi(dir)).toThrow(/xdr-api\.json: observable\.value: must be an address at example\.com/);
  });
});
