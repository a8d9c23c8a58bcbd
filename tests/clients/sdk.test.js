// The official Gemini SDK, configured the way an internal service would be: only the base URL and the key change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoogleGenAI } from '@google/genai';

const baseUrl = process.env.GATEWAY_URL;
const apiKey = process.env.GATEWAY_KEY;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MODEL = 'gemini-2.5-flash-image';

assert.ok(baseUrl, 'GATEWAY_URL must be set (the xunit suite sets it)');
assert.ok(apiKey, 'GATEWAY_KEY must be set (the xunit suite sets it)');

function imagePart(response) {
  return response.candidates?.[0]?.content?.parts?.find((part) => part.inlineData);
}

for (const apiVersion of [undefined, 'v1beta']) {
  test(`generateContent returns the upstream image (apiVersion ${apiVersion ?? 'default v1'})`, async () => {
    const ai = new GoogleGenAI({ apiKey, httpOptions: { baseUrl, ...(apiVersion ? { apiVersion } : {}) } });
    const response = await ai.models.generateContent({
      model: MODEL,
      contents: 'A lighthouse at dusk',
      config: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '16:9' } },
    });
    const part = imagePart(response);
    assert.ok(part, 'an inlineData part is present');
    assert.equal(part.inlineData.mimeType, 'image/png');
    assert.ok(Buffer.from(part.inlineData.data, 'base64').subarray(0, 8).equals(PNG_SIGNATURE));
    assert.equal(response.modelVersion, MODEL);
    assert.ok(response.usageMetadata.totalTokenCount > 0);
  });
}

test('generateContentStream yields every event, ending with the totals', async () => {
  const ai = new GoogleGenAI({ apiKey, httpOptions: { baseUrl } });
  const chunks = [];
  for await (const chunk of await ai.models.generateContentStream({ model: MODEL, contents: 'A lighthouse at dusk' })) {
    chunks.push(chunk);
  }
  assert.ok(chunks.length >= 3, `expected at least 3 events, got ${chunks.length}`);
  assert.ok(chunks.some(imagePart), 'one event carries the image');
  const last = chunks.at(-1);
  assert.equal(last.candidates[0].finishReason, 'STOP');
  assert.ok(last.usageMetadata.candidatesTokenCount > 0);
});

test('countTokens is answered', async () => {
  const ai = new GoogleGenAI({ apiKey, httpOptions: { baseUrl } });
  const response = await ai.models.countTokens({ model: MODEL, contents: 'A lighthouse at dusk' });
  assert.ok(response.totalTokens > 0);
});

test('a wrong key surfaces as an ApiError with status 401', async () => {
  const ai = new GoogleGenAI({ apiKey: 'rsg_' + 'A'.repeat(43), httpOptions: { baseUrl } });
  await assert.rejects(
    () => ai.models.generateContent({ model: MODEL, contents: 'x' }),
    (error) => error.status === 401 && /UNAUTHENTICATED|API key not valid/.test(error.message),
  );
});
