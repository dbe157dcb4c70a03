import { describe, expect, it } from "vitest";
import { checkPublicAddress, v6Bytes } from "./ip-address";

describe("checkPublicAddress", () => {
  it.each([
    "0.0.0.0", "0.1.2.3", "10.1.2.3", "100.64.0.1", "100.127.255.255", "127.0.0.1", "127.255.255.254", "169.254.169.254",
    "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.168.0.1", "198.18.0.1", "224.0.0.1", "239.255.255.250",
    "240.0.0.1", "255.255.255.255", "::", "::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:8.8.8.8",
    "::127.0.0.1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::1", "2002:7f00:1::", "2002:c0a8:101::1",
    "2001:0:4136:e378::1", "2001:db8::1", "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1", "100::1", "fe80::1%eth0",
    "not-an-ip",
  ])("refuses %s", (ip) => {
    expect(checkPublicAddress(ip).ok).toBe(false);
  });

  it.each(["8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e"])("allows public %s", (ip) => {
    expect(checkPublicAddress(ip)).toEqual({ ok: true });
  });

  it("refuses IPv4 wrapped in IPv6 (mapped, 6to4) even when the IPv4 is public", () => {
    expect(checkPublicAddress("2002:808:808::1")).toEqual({ ok: false, reason: expect.stringContaining("6to4") });
    expect(checkPublicAddress("::ffff:8.8.8.8")).toEqual({ ok: false, reason: expect.stringContaining("IPv4-mapped") });
  });

  it("names the reason", () => {
    expect(checkPublicAddress("::ffff:169.254.169.254")).toEqual({ ok: false, reason: "IPv4-mapped IPv6 of link-local (169.254.0.0/16)" });
  });
});

describe("v6Bytes", () => {
  it("expands :: and dotted tails", () => {
    expect(v6Bytes("::ffff:1.2.3.4")).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4]);
    expect(v6Bytes("1::")).toEqual([0, 1, ...new Array(14).fill(0)]);
    expect(v6Bytes("1:2:3:4:5:6:7:8:9")).toBeNull();
  });
});
