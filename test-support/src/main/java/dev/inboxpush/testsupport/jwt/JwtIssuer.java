package dev.inboxpush.testsupport.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A local token issuer: an RSA key pair generated at start, its public JWK set served over HTTP on
 * a free loopback port (JDK HTTP server), and tokens minted with it, including the bad ones tests
 * need (forged signature, {@code alg: none}, HS256 keyed with the public key, expired, not yet
 * valid, wrong issuer or audience, a {@code kid} or {@code jku} pointing elsewhere), and a switch
 * that makes the JWK set fail to load. Thread-safe; close it to stop the server.
 */
public final class JwtIssuer implements AutoCloseable {

  private final RSAKey key;
  private final RSAKey otherKey;
  private final HttpServer server;
  private final String issuer;
  private final AtomicBoolean jwkSetFailing;

  private JwtIssuer(RSAKey key, RSAKey otherKey, HttpServer server, AtomicBoolean failing) {
    this.key = key;
    this.otherKey = otherKey;
    this.server = server;
    this.jwkSetFailing = failing;
    this.issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/issuer";
  }

  /** Generates keys and starts serving {@code /issuer/jwks}. */
  public static JwtIssuer start() {
    try {
      RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
      RSAKey other = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
      byte[] attacker = new JWKSet(other.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
      AtomicBoolean failing = new AtomicBoolean();
      server.createContext(
          "/issuer/jwks",
          exchange -> {
            if (failing.get()) {
              exchange.sendResponseHeaders(500, -1);
              exchange.close();
              return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(jwks);
            }
          });
      server.createContext(
          "/attacker/jwks",
          exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, attacker.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(attacker);
            }
          });
      server.start();
      return new JwtIssuer(key, other, server, failing);
    } catch (JOSEException e) {
      throw new IllegalStateException("could not generate RSA keys", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code iss} of good tokens. */
  public String issuer() {
    return issuer;
  }

  /** Where the public keys are served. */
  public String jwkSetUri() {
    return issuer + "/jwks";
  }

  /** A good token for {@code subject} and {@code audience}, valid for ten minutes. */
  public String token(String subject, String audience) {
    return sign(claims(subject, issuer, audience, Instant.now().plus(Duration.ofMinutes(10))), key);
  }

  /** Signed by a key the issuer does not publish. */
  public String forged(String subject, String audience) {
    return sign(
        claims(subject, issuer, audience, Instant.now().plus(Duration.ofMinutes(10))), otherKey);
  }

  /** Expired an hour ago. */
  public String expired(String subject, String audience) {
    return sign(claims(subject, issuer, audience, Instant.now().minus(Duration.ofHours(1))), key);
  }

  /** From another issuer (same key, so only the claim is wrong). */
  public String wrongIssuer(String subject, String audience) {
    return sign(
        claims(
            subject,
            "https://evil.example/issuer",
            audience,
            Instant.now().plus(Duration.ofMinutes(10))),
        key);
  }

  /** Properly signed, but naming no subject. */
  public String withoutSubject(String audience) {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder(
                claims("x", issuer, audience, Instant.now().plus(Duration.ofMinutes(10))))
            .subject(null)
            .build();
    return sign(claims, key);
  }

  /** Valid only from an hour from now ({@code nbf}). */
  public String notYetValid(String subject, String audience) {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder(
                claims(subject, issuer, audience, Instant.now().plus(Duration.ofHours(2))))
            .notBeforeTime(Date.from(Instant.now().plus(Duration.ofHours(1))))
            .build();
    return sign(claims, key);
  }

  /**
   * The key-confusion attack: {@code "alg":"HS256"}, the published key's {@code kid}, and an HMAC
   * whose secret is the published public key's encoded bytes (what a verifier that let the token
   * choose the algorithm would check it with).
   */
  public String hs256WithThePublicKey(String subject, String audience) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(),
              claims(subject, issuer, audience, Instant.now().plus(Duration.ofMinutes(10))));
      jwt.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("could not sign", e);
    }
  }

  /** Signed by an unpublished key, with the published key's {@code kid} in its header. */
  public String kidOfThePublishedKey(String subject, String audience) {
    return sign(
        claims(subject, issuer, audience, Instant.now().plus(Duration.ofMinutes(10))),
        otherKey,
        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build());
  }

  /**
   * Signed by an unpublished key whose JWK set this issuer serves elsewhere ({@code
   * /attacker/jwks}), named by the header's {@code jku} and {@code kid}: a verifier must never
   * fetch keys a token points to.
   */
  public String jkuPointingElsewhere(String subject, String audience) {
    return sign(
        claims(subject, issuer, audience, Instant.now().plus(Duration.ofMinutes(10))),
        otherKey,
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID(otherKey.getKeyID())
            .jwkURL(URI.create(attackerJwkSetUri()))
            .build());
  }

  /** Where the unpublished key's JWK set is served, for {@link #jkuPointingElsewhere}. */
  public String attackerJwkSetUri() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/attacker/jwks";
  }

  /** While true, the JWK set endpoint answers 500 (the issuer's key server is down). */
  public void failJwkSet(boolean failing) {
    jwkSetFailing.set(failing);
  }

  /** Unsigned, with {@code "alg":"none"}. */
  public String unsigned(String subject, String audience) {
    JWTClaimsSet claims =
        claims(subject, issuer, audience, Instant.now().plus(Duration.ofMinutes(10)));
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    String header =
        encoder.encodeToString(
            "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = encoder.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + ".";
  }

  private JWTClaimsSet claims(String subject, String iss, String audience, Instant expires) {
    return new JWTClaimsSet.Builder()
        .subject(subject)
        .issuer(iss)
        .audience(List.of(audience))
        .issueTime(Date.from(Instant.now().minus(Duration.ofMinutes(1))))
        .expirationTime(Date.from(expires))
        .jwtID(UUID.randomUUID().toString())
        .build();
  }

  private static String sign(JWTClaimsSet claims, RSAKey signer) {
    return sign(
        claims, signer, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build());
  }

  private static String sign(JWTClaimsSet claims, RSAKey signer, JWSHeader header) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(new RSASSASigner(signer));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("could not sign", e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
