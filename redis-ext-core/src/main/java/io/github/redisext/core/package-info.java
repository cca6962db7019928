/**
 * redis-ext core: the pieces every primitive shares. {@link io.github.redisext.core.RedisClients}
 * builds a Jedis {@code UnifiedJedis} from a URI; {@link io.github.redisext.core.JsonCodec} encodes
 * values (also in a canonical and a Python-identical form); {@link io.github.redisext.core.KeySpace}
 * derives hash-tagged keys; {@link io.github.redisext.core.RedisExtException} roots the exceptions.
 */
package io.github.redisext.core;
