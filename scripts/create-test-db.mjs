// Creates a fresh, empty database on the test PostgreSQL server and prints its URL.
// Used by the e2e suite so its PostgreSQL-backed server never sees another run's rows.
import { randomBytes } from "node:crypto";
import pg from "pg";

const base = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = `tic_e2e_${randomBytes(5).toString("hex")}`;
const client = new pg.Client({ connectionString: base });
await client.connect();
await client.query(`create database ${name}`);
await client.end();
const url = new URL(base);
url.pathname = `/${name}`;
process.stdout.write(`${url}\n`);
