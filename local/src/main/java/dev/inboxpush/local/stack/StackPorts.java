package dev.inboxpush.local.stack;

import dev.inboxpush.model.Region;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every port of one local run, all on 127.0.0.1: the shared peers' and, per region, the
 * registration service's and the listener's public and management ports.
 *
 * @param dynamo dynalite (default 4567)
 * @param auth the authorization server (default 9000)
 * @param apns the local APNs (default 8443)
 * @param fcm the fake FCM (default 8444)
 * @param inspector the push inspector (default 8090)
 * @param regions per region, its services' ports
 */
public record StackPorts(
    int dynamo, int auth, int apns, int fcm, int inspector, Map<Region, RegionPorts> regions) {

  /**
   * One region's ports.
   *
   * @param registration the registration API
   * @param registrationManagement the registration service's Actuator
   * @param listener the EWS endpoint
   * @param listenerManagement the listener's Actuator
   */
  public record RegionPorts(
      int registration, int registrationManagement, int listener, int listenerManagement) {}

  public StackPorts {
    if (regions.isEmpty()) {
      throw new IllegalArgumentException("a local run needs at least one region");
    }
    regions = java.util.Collections.unmodifiableMap(new EnumMap<>(regions));
    List<Integer> all = new ArrayList<>(List.of(dynamo, auth, apns, fcm, inspector));
    regions
        .values()
        .forEach(
            r ->
                all.addAll(
                    List.of(
                        r.registration(),
                        r.registrationManagement(),
                        r.listener(),
                        r.listenerManagement())));
    for (int port : all) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
    }
    if (all.stream().distinct().count() != all.size()) {
      throw new IllegalArgumentException("two parts of the local run share a port: " + all);
    }
  }

  /** The fixed ports the README documents, for {@code regions}. */
  public static StackPorts defaults(List<Region> regions) {
    Map<Region, RegionPorts> byRegion = new EnumMap<>(Region.class);
    for (Region region : regions) {
      int offset = 100 * region.ordinal();
      byRegion.put(
          region, new RegionPorts(8081 + offset, 9081 + offset, 8082 + offset, 9082 + offset));
    }
    return new StackPorts(4567, 9000, 8443, 8444, 8090, byRegion);
  }

  /**
   * Free loopback ports, for tests that must not collide with a person's local run. A port is free
   * when chosen; another process could still take it before the stack binds it, which the stack
   * then reports as a port in use.
   */
  public static StackPorts free(List<Region> regions) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      Map<Region, RegionPorts> byRegion = new EnumMap<>(Region.class);
      int dynamo = hold(held);
      int auth = hold(held);
      int apns = hold(held);
      int fcm = hold(held);
      int inspector = hold(held);
      for (Region region : regions) {
        byRegion.put(region, new RegionPorts(hold(held), hold(held), hold(held), hold(held)));
      }
      return new StackPorts(dynamo, auth, apns, fcm, inspector, byRegion);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // a socket that will not close still freed nothing we need
        }
      }
    }
  }

  /** Every port with what it serves, in start order: for the free-port check and the summary. */
  public Map<Integer, String> named() {
    Map<Integer, String> named = new LinkedHashMap<>();
    named.put(dynamo, "dynalite");
    named.put(auth, "the authorization server");
    named.put(apns, "the local APNs");
    named.put(fcm, "the fake FCM");
    named.put(inspector, "the push inspector");
    regions.forEach(
        (region, ports) -> {
          named.put(ports.registration(), "the registration service of " + region);
          named.put(ports.registrationManagement(), "its management port");
          named.put(ports.listener(), "the listener of " + region);
          named.put(ports.listenerManagement(), "its management port");
        });
    return named;
  }

  private static int hold(List<ServerSocket> held) {
    try {
      ServerSocket socket = new ServerSocket();
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      held.add(socket);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port", e);
    }
  }
}
