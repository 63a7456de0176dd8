#!/bin/sh
# clickhouse-test-server.sh - a private clickhouse-server for tests and benchmarks.
#
#   clickhouse-test-server.sh start DIR   config, data and logs in DIR; listens on
#                                         127.0.0.1 only, on free ports; prints the HTTP port
#   clickhouse-test-server.sh stop DIR    SIGTERM, then waits for it to end
#   clickhouse-test-server.sh kill DIR    SIGKILL (a crash), then waits
#   clickhouse-test-server.sh restart DIR start again on the same ports and data
#
# Kept small: a few hundred MB of caches, two threads a query, no query log,
# UTC.  Exits 1 with a message when clickhouse-server cannot be started.
set -eu

cmd=${1:?usage: clickhouse-test-server.sh start|stop|kill|restart DIR}
dir=${2:?usage: clickhouse-test-server.sh start|stop|kill|restart DIR}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

write_config() {
	http=$(free_port)
	tcp=$(free_port)
	while [ "$tcp" = "$http" ]; do tcp=$(free_port); done
	mkdir -p "$dir/data" "$dir/tmp" "$dir/log" "$dir/user_files" "$dir/format_schemas"
	cat > "$dir/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
    <logger>
        <level>warning</level>
        <log>$dir/log/server.log</log>
        <errorlog>$dir/log/server.err.log</errorlog>
        <size>10M</size>
        <count>1</count>
    </logger>
    <listen_host>127.0.0.1</listen_host>
    <http_port>$http</http_port>
    <tcp_port>$tcp</tcp_port>
    <path>$dir/data/</path>
    <tmp_path>$dir/tmp/</tmp_path>
    <user_files_path>$dir/user_files/</user_files_path>
    <format_schema_path>$dir/format_schemas/</format_schema_path>
    <users_config>$dir/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mark_cache_size>268435456</mark_cache_size>
    <uncompressed_cache_size>0</uncompressed_cache_size>
    <max_concurrent_queries>16</max_concurrent_queries>
    <max_connections>64</max_connections>
    <mlock_executable>false</mlock_executable>
</yandex>
EOF
	# a user with a password, for the login tests
	cat > "$dir/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
    <profiles>
        <default>
            <max_memory_usage>4000000000</max_memory_usage>
            <max_threads>2</max_threads>
            <log_queries>0</log_queries>
        </default>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks><ip>127.0.0.1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
        <flows>
            <password>s3cret-pw</password>
            <networks><ip>127.0.0.1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </flows>
    </users>
    <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
        <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
    </interval></default></quotas>
</yandex>
EOF
	echo "$http" > "$dir/http_port"
}

launch() {
	command -v clickhouse-server > /dev/null 2>&1 || { echo "clickhouse-server is not installed" >&2; exit 1; }
	# no stdin, nothing on our stdout/stderr: a caller's pipes (bats' fd 3) stay free
	clickhouse-server --config-file="$dir/config.xml" < /dev/null > "$dir/log/stdout" 2>&1 3>&- &
	echo $! > "$dir/pid"
	port=$(cat "$dir/http_port")
	i=0
	while [ $i -lt 300 ]; do
		if [ "$(curl -s "http://127.0.0.1:$port/ping" 2>/dev/null)" = "Ok." ]; then
			echo "$port"
			return 0
		fi
		if ! kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
			echo "clickhouse-server ended at start:" >&2
			tail -n 5 "$dir/log/server.err.log" "$dir/log/stdout" >&2 2>/dev/null || true
			exit 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "clickhouse-server did not answer on 127.0.0.1:$port within 30 s" >&2
	exit 1
}

halt() {
	[ -f "$dir/pid" ] || return 0
	pid=$(cat "$dir/pid")
	kill "-$1" "$pid" 2>/dev/null || true
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$pid" 2>/dev/null || true	# not gone in a minute: no server is left behind
	rm -f "$dir/pid"
}

case $cmd in
start) write_config; launch ;;
restart) launch ;;
stop) halt TERM ;;
kill) halt KILL ;;
*) echo "usage: clickhouse-test-server.sh start|stop|kill|restart DIR" >&2; exit 2 ;;
esac
