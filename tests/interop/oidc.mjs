// A real OpenID Connect provider (the `oidc-provider` package) for the sign-in tests, on
// 127.0.0.1 only. Usage: node oidc.mjs CONFIG.json
//   CONFIG: {"client_id", "client_secret", "redirect_uris": [...],
//            "accounts": {"<login>": {"name", "phone_number", "phone_number_verified", "cccd"}}}
// Prints one JSON line {"issuer": "http://127.0.0.1:<port>"} once it listens, then serves
// until killed. Its development sign-in page takes any password for a login listed in
// CONFIG.accounts (an unknown login signs in an account with no claims).
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";

import Provider from "oidc-provider";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: "jwk" }), kid: "test-1", use: "sig", alg: "RS256" };

const server = http.createServer();
server.listen(0, "127.0.0.1", () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: config.client_id,
        client_secret: config.client_secret,
        redirect_uris: config.redirect_uris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [jwk] },
    // Every client must prove the code is theirs (RFC 7636), confidential ones too.
    pkce: { required: () => true },
    claims: {
      openid: ["sub"],
      profile: ["name"],
      phone: ["phone_number", "phone_number_verified"],
      cccd: ["cccd"],
    },
    cookies: { keys: ["suotdoi-test-only"] },
    features: { devInteractions: { enabled: true } },
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, ...(config.accounts[id] || {}) }),
    }),
  });
  provider.on("server_error", (_ctx, err) => console.error(err));
  server.on("request", provider.callback());
  console.log(JSON.stringify({ issuer }));
});
