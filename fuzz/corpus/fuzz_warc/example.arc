filedesc://s.arc 0.0.0.0 20210506070809 text/plain 9
1 0 Seed

http://a.example/ 1.2.3.4 20210506070810 text/html 86
HTTP/1.1 200 OK
Content-Type: text/html

<html><script src="/m.js"></script></html>
