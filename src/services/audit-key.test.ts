import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { readConfig } from '../config.ts';
import { buildTestApp, login } from '../../test/helpers/api.ts';
import { testEngines } from '../../test/helpers/engines.ts';
import { makeWorld } from '../../test/helpers/factories.ts';
import { DEVELOPMENT_AUDIT_KEY, deriveKey, emergencyTokenKey } from './audit-key.ts';

const hmac = (key: string, text: string) => createHmac('sha256', key).update(text).digest('base64url');

describe('keys derived from AUDIT_KEY', () => {
  it('gives each purpose its own key, never AUDIT_KEY itself, the same on every start', () => {
    const token = deriveKey('a master key', 'emergency-token');
    const checkpoint = deriveKey('a master key', 'access-log-checkpoint');
    assert.notEqual(token, checkpoint);
    assert.notEqual(token, 'a master key');
    assert.equal(deriveKey('a master key', 'emergency-token'), token);
    assert.notEqual(deriveKey('another master key', 'emergency-token'), token);
    assert.match(token, /^[0-9a-f]{64}$/);
  });

  it('signs the emergency confirmation with EMERGENCY_TOKEN_KEY when set, and refuses a short one', () => {
    const own = 'x'.repeat(32);
    assert.equal(emergencyTokenKey(readConfig({ EMERGENCY_TOKEN_KEY: own }), 'audit'), own);
    assert.equal(emergencyTokenKey(readConfig({}), 'audit'), deriveKey('audit', 'emergency-token'));
    assert.throws(() => emergencyTokenKey(readConfig({ EMERGENCY_TOKEN_KEY: 'short' }), 'audit'), /32/);
  });

  it('signs the emergency confirmation with its own key, so one made with AUDIT_KEY is refused', async () => {
    const db = await testEngines[0]!.open();
    const app = await buildTestApp(db);
    try {
      const world = await makeWorld(db);
      const nurse = await login(app, { hsaId: world.nurseId });
      const identifier = '189001019802';
      const intent = await nurse.send('POST', '/api/access/emergency/intent', { identifier });
      const [expires, signature] = intent.json<{ confirmationToken: string }>().confirmationToken.split('.');
      const text = `${identifier}|${world.nurseId}|${world.unitId}|${expires}`;
      assert.equal(signature, hmac(deriveKey(DEVELOPMENT_AUDIT_KEY, 'emergency-token'), text));
      const forged = await nurse.send('POST', '/api/access/emergency', {
        identifier,
        confirmationToken: `${expires}.${hmac(DEVELOPMENT_AUDIT_KEY, text)}`,
        reason: 'Akut, medvetslös patient',
      });
      assert.equal(forged.statusCode, 400, forged.body);
    } finally {
      await app.close();
      await db.close();
    }
  });
});
