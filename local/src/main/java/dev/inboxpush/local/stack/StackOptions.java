package dev.inboxpush.local.stack;

import dev.inboxpush.model.Region;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How to start a local run.
 *
 * @param artifacts the jars and dynalite to start
 * @param dataRoot where every part keeps its data and generated secrets, one folder each ({@code
 *     dynamo/}, {@code auth/}, {@code push/}, {@code registration/}), and {@code logs/}
 * @param fresh delete what earlier runs kept (data and generated secrets) before starting
 * @param regions the regions to run a registration service and a listener for, over one shared
 *     dynalite standing in for the Global Table
 * @param ports every port; {@link StackPorts#defaults} for the documented ones
 * @param readyWithin how long the whole stack may take to become ready before the start fails
 * @param overrides per kind of part ({@code auth}, {@code push}, {@code registration}, {@code
 *     listener}), JVM options and environment variables different from a local run's: for the
 *     end-to-end benchmark, which runs the listener as production does; none by default
 * @param tableEndpoints per region, a table endpoint its two services use instead of the shared
 *     dynalite: a replica of its own, which the caller runs and replicates (the cross-region tests
 *     do, with test-support's replicator). Such a region's listener keeps its default replication
 *     allowance (an {@code overrides} entry may set another); a region on the shared dynalite gets
 *     0, since nothing replicates there. None by default.
 */
public record StackOptions(
    Artifacts artifacts,
    Path dataRoot,
    boolean fresh,
    List<Region> regions,
    StackPorts ports,
    Duration readyWithin,
    Map<String, PartOverrides> overrides,
    Map<Region, URI> tableEndpoints) {

  /** The kinds of part {@link #overrides} may name. */
  public static final Set<String> PART_KINDS = Set.of("auth", "push", "registration", "listener");

  /**
   * How one kind of part is started differently.
   *
   * @param jvmOptions when not empty, the JVM options instead of a local run's (C1 only, serial
   *     collector, 512 MB heap)
   * @param environment variables set over what the stack sets (for example {@code
   *     INBOXPUSH_LISTENER_LOOKUP_CACHESIZE})
   */
  public record PartOverrides(List<String> jvmOptions, Map<String, String> environment) {
    public PartOverrides {
      jvmOptions = List.copyOf(jvmOptions);
      environment = Map.copyOf(environment);
    }
  }

  /** A local run's options: every part started as {@code ./inbox-push local} starts it. */
  public StackOptions(
      Artifacts artifacts,
      Path dataRoot,
      boolean fresh,
      List<Region> regions,
      StackPorts ports,
      Duration readyWithin) {
    this(artifacts, dataRoot, fresh, regions, ports, readyWithin, Map.of(), Map.of());
  }

  public StackOptions {
    overrides = Map.copyOf(overrides);
    tableEndpoints = Map.copyOf(tableEndpoints);
    if (!regions.containsAll(tableEndpoints.keySet())) {
      throw new IllegalArgumentException(
          "table endpoints name regions " + tableEndpoints.keySet() + " outside " + regions);
    }
    if (!PART_KINDS.containsAll(overrides.keySet())) {
      throw new IllegalArgumentException(
          "overrides name parts " + overrides.keySet() + "; known: " + PART_KINDS);
    }
    regions = List.copyOf(regions);
    if (regions.isEmpty() || !ports.regions().keySet().containsAll(regions)) {
      throw new IllegalArgumentException("every region needs its ports: " + regions);
    }
    if (readyWithin.isNegative() || readyWithin.isZero()) {
      throw new IllegalArgumentException("readyWithin must be positive");
    }
    dataRoot = dataRoot.toAbsolutePath().normalize();
  }

  /** The documented defaults for a checkout at {@code repository}: one region, data in .local. */
  public static StackOptions defaults(Path repository) {
    return new StackOptions(
        Artifacts.inRepository(repository),
        repository.resolve(".local"),
        false,
        List.of(Region.US_EAST_1),
        StackPorts.defaults(List.of(Region.US_EAST_1)),
        Duration.ofMinutes(3));
  }

  public StackOptions withArtifacts(Artifacts artifacts) {
    return new StackOptions(
        artifacts, dataRoot, fresh, regions, ports, readyWithin, overrides, tableEndpoints);
  }

  public StackOptions withDataRoot(Path root) {
    return new StackOptions(
        artifacts, root, fresh, regions, ports, readyWithin, overrides, tableEndpoints);
  }

  public StackOptions withFresh(boolean fresh) {
    return new StackOptions(
        artifacts, dataRoot, fresh, regions, ports, readyWithin, overrides, tableEndpoints);
  }

  /** These options with {@code kind} (one of {@link #PART_KINDS}) started as {@code part} says. */
  public StackOptions withOverrides(String kind, PartOverrides part) {
    Map<String, PartOverrides> changed = new java.util.HashMap<>(overrides);
    changed.put(kind, part);
    return new StackOptions(
        artifacts, dataRoot, fresh, regions, ports, readyWithin, changed, tableEndpoints);
  }

  /** These options with each region in {@code endpoints} on its own table replica there. */
  public StackOptions withTableEndpoints(Map<Region, URI> endpoints) {
    return new StackOptions(
        artifacts, dataRoot, fresh, regions, ports, readyWithin, overrides, endpoints);
  }

  /** These regions, on the default ports when {@code freePorts} is false, else on free ones. */
  public StackOptions withRegions(List<Region> regions, boolean freePorts) {
    StackPorts chosen = freePorts ? StackPorts.free(regions) : StackPorts.defaults(regions);
    return new StackOptions(
        artifacts, dataRoot, fresh, regions, chosen, readyWithin, overrides, tableEndpoints);
  }
}
