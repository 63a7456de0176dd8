#
# services.sig - payload signatures of the protocols radump(1) decodes, in
# Argus's std.sig format (raservices.sig(5)).  raservices(1) reads this file
# when no -f is given, and the field `service` of every tool uses it (it is
# compiled in).  A pattern is up to 16 bytes in hex; two spaces are any byte;
# letters match in either case.  The source is the side that spoke first.
#
# DNS: standard query, recursion desired, one question; responses with one question.
Service: domain          udp port 53    n =   1000 src = "    01000001                    "
Service: domain          udp port 53    n =   1000 src = "    01200001                    "
Service: domain          udp port 53    n =    500 src = "    00000001                    "
Service: domain          udp port 53    n =    100 src = "    01100001                    "
Service: domain          tcp port 53    n =    100 src = "        01000001                "
Service: domain          tcp port 53    n =    100 src = "        01200001                "
Service: mdns            udp port 5353  n =    100 src = "0000000000                      "
Service: llmnr           udp port 5355  n =    100 src = "    00000001000000000000        "
# HTTP/1.x: a method and a space, a response line.
Service: http            tcp port 80    n =   1000 src = "474554202F                      "
Service: http            tcp port 80    n =   1000 src = "47455420                        "  dst = "485454502F312E                  "
Service: http            tcp port 80    n =    500 src = "504F535420                      "
Service: http            tcp port 80    n =    200 src = "4845414420                      "
Service: http            tcp port 80    n =    100 src = "50555420                        "
Service: http            tcp port 80    n =    100 src = "44454C45544520                  "
Service: http            tcp port 80    n =    100 src = "4F5054494F4E5320                "
Service: http            tcp port 80    n =    100 src = "434F4E4E45435420                "
Service: http            tcp port 80    n =    100 dst = "485454502F312E                  "
# TLS: a handshake record of TLS 1.0 to 1.3 holding a ClientHello; ServerHello.
Service: https           tcp port 443   n =   1000 src = "160301    01                    "
Service: https           tcp port 443   n =   1000 src = "160303    01                    "
Service: https           tcp port 443   n =    100 src = "160302    01                    "
Service: https           tcp port 443   n =    100 src = "160300    01                    "  dst = "1603      02                    "
Service: https           tcp port 443   n =     10 encrypted
# SSH: the identification string.
Service: ssh             tcp port 22    n =    100 src = "5353482D322E30                  "
Service: ssh             tcp port 22    n =    100 src = "5353482D312E39                  "
Service: ssh             tcp port 22    n =    100 dst = "5353482D                        "
# SMTP, FTP, POP3, IMAP: the client's first command, the server's greeting.
Service: smtp            tcp port 25    n =    100 src = "45484C4F20                      "
Service: smtp            tcp port 25    n =    100 src = "48454C4F20                      "
Service: smtp            tcp port 25    n =    100 dst = "32323020    2045534D5450        "
Service: ftp             tcp port 21    n =    100 src = "5553455220                      "  dst = "32323020                        "
Service: ftp             tcp port 21    n =    100 src = "5553455220                      "  dst = "3232302D                        "
Service: pop3            tcp port 110   n =    100 src = "5553455220                      "  dst = "2B4F4B                          "
Service: pop3            tcp port 110   n =    100 src = "43415041                        "  dst = "2B4F4B                          "
Service: pop3            tcp port 110   n =    100 dst = "2B4F4B20                        "
Service: imap2           tcp port 143   n =    100 dst = "2A204F4B20                      "
Service: imap2           tcp port 143   n =    100 src = "    204C4F47494E20              "  dst = "2A204F4B                        "
Service: imap2           tcp port 143   n =    100 src = "      204C4F47494E20            "  dst = "2A204F4B                        "
Service: imap2           tcp port 143   n =    100 src = "    20434150414249              "  dst = "2A204F4B                        "
# NTP: version 3 or 4 client (mode 3) and server (mode 4) packets.
Service: ntp             udp port 123   n =    100 src = "23                              "  dst = "24                              "
Service: ntp             udp port 123   n =    100 src = "1B                              "  dst = "1C                              "
Service: ntp             udp port 123   n =    100 src = "E3                              "  dst = "24                              "
Service: ntp             udp port 123   n =    100 src = "23                              "
# DHCP: BOOTREQUEST and BOOTREPLY over Ethernet (htype 1, hlen 6).
Service: bootps          udp port 67    n =    100 src = "01010600                        "
Service: bootps          udp port 67    n =    100 src = "01010600                        "  dst = "02010600                        "
# SIP: requests and status lines.
Service: sip             udp port 5060  n =    100 src = "494E56495445207369703A          "
Service: sip             udp port 5060  n =    100 src = "52454749535445522073            "
Service: sip             udp port 5060  n =    100 src = "4F5054494F4E53207369703A        "
Service: sip             udp port 5060  n =    100 dst = "5349502F322E3020                "
Service: sip             tcp port 5060  n =    100 src = "494E56495445207369703A          "
