package io.quotient.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A three-node Redis Cluster (masters only) of redis-servers this test starts on loopback ports. */
final class RedisCluster implements AutoCloseable {
  final List<RedisProcess> nodes = new ArrayList<>();

  static RedisCluster start() {
    RedisCluster cluster = new RedisCluster();
    try {
      for (int i = 0; i < 3; i++) {
        cluster.nodes.add(RedisProcess.launch(
            "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"));
      }
      List<String> create = new ArrayList<>(List.of("--cluster", "create"));
      for (RedisProcess node : cluster.nodes) {
        create.add("127.0.0.1:" + node.port);
      }
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      RedisProcess.cli(create.toArray(String[]::new));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      for (RedisProcess node : cluster.nodes) {
        while (!RedisProcess.cli("-p", Integer.toString(node.port), "cluster", "info").contains("cluster_state:ok")) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the cluster did not become ok");
          }
          Thread.onSpinWait();
        }
      }
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** The URL the limiter takes: every node as a seed. */
  String url() {
    StringBuilder url = new StringBuilder("redis-cluster://");
    for (int i = 0; i < nodes.size(); i++) {
      url.append(i == 0 ? "" : ",").append("127.0.0.1:").append(nodes.get(i).port);
    }
    return url.toString();
  }

  /** How many keys each node holds. */
  List<Long> keysPerNode() {
    List<Long> counts = new ArrayList<>();
    for (RedisProcess node : nodes) {
      counts.add(Long.parseLong(RedisProcess.cli("-p", Integer.toString(node.port), "dbsize").strip()));
    }
    return counts;
  }

  @Override
  public void close() {
    nodes.forEach(RedisProcess::stop);
  }
}
